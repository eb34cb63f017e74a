"""Vietnamese complaint tagging for HaiLong (no Flask imports anywhere in this package).

Public API used by the app:
    LABELS, LABEL_NAMES_VI, NEEDS_REVIEW
    normalize(text), strip_diacritics(text)            -- nlp.normalize
    ComplaintClassifier, Prediction, ModelUnavailable  -- nlp.classifier
    train_default, load_current, retrain, ...          -- nlp.registry
"""

LABELS = (
    "giao_thong", "thuy_loi", "dien", "giao_duc", "van_hoa", "thong_tin", "kinh_te",
    "y_te", "moi_truong", "nuoc_sach", "dat_dai", "hanh_chinh", "an_ninh", "khac",
)

LABEL_NAMES_VI = {
    "giao_thong": "Giao thông",
    "thuy_loi": "Thủy lợi",
    "dien": "Điện",
    "giao_duc": "Giáo dục",
    "van_hoa": "Văn hóa",
    "thong_tin": "Thông tin - truyền thông",
    "kinh_te": "Kinh tế - đời sống",
    "y_te": "Y tế",
    "moi_truong": "Môi trường",
    "nuoc_sach": "Nước sạch",
    "dat_dai": "Đất đai",
    "hanh_chinh": "Hành chính",
    "an_ninh": "An ninh trật tự",
    "khac": "Khác",
}

# Returned as Prediction.label when the top confidence is below the model's threshold.
NEEDS_REVIEW = "can_xem_xet"

__all__ = ["LABELS", "LABEL_NAMES_VI", "NEEDS_REVIEW"]
