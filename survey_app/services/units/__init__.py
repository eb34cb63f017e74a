"""Administrative units: the official provinces and communes, hamlets and households from files, units from before the
2025 reform and their mergers.
"""
