"""Residents' free text (phản ánh, reasons, other opinions): intake and tagging by the classifier, the staff review
queue and its actions, classifier versions and retraining.
"""
