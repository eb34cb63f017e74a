"""Every figure HaiLong publishes: the counting rules, a campaign's summary and report, the province roll-up, alerts,
charts, the XLSX/CSV exports and the public results.
"""
