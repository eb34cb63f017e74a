"""A commune's campaign (đợt lấy ý kiến): its life draft → open → closed → published, what managers do to it from the
staff pages, invitation codes, slips and paper forms.
"""
