"""Answering a survey, whatever the channel: who answers which campaign (flow), the server-side draft, the one way a
response is stored, questionnaires and the reference data they come from.
"""
