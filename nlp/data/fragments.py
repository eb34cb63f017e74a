"""Label-agnostic pieces of residents' messages: places, openers, durations, closers, dialect.

Label-specific content lives in templates/<label>.txt (generator fragments) and
handwritten/<label>.txt (free sentences). Nothing here says which field a message is about,
so sharing these pieces between the train and held-out splits leaks no label information.
"""

PLACES = {
    "north": ["thôn 3", "thôn 7", "xóm Đồng", "xóm Chùa", "xóm Trại", "ngõ 5 xóm Mới", "thôn Đông",
              "thôn Hạ Lũng", "xóm Bãi", "làng Vân", "thôn Trung Hòa", "xóm 2", "đội 4"],
    "mountain": ["bản Na Hang", "bản Pắc Ngòi", "bản Phiêng Luông", "bản Mường Khoa", "thôn Nà Khiêu",
                 "bản Huổi Sói", "thôn Khuổi Tát"],
    "central": ["thôn Xuân Lộc", "xóm Bàu", "thôn Hòa Bình", "thôn Phú Lộc", "xóm Rú", "thôn Tân Mỹ",
                "thôn An Phú", "xóm Cồn", "thôn Đại Lược"],
    "south": ["ấp Bình Hòa", "ấp 2", "ấp Tân Phú", "ấp Mỹ Lợi", "ấp Rạch Gốc", "ấp Phước Thạnh",
              "ấp Cây Dừa", "tổ 7 ấp Long Hưng", "ấp Kinh Xáng"],
}

DURATIONS = ["mấy tháng nay", "cả năm nay", "hơn 2 năm rồi", "từ đầu năm", "từ tết đến giờ",
             "gần 3 tháng", "mấy tuần nay", "từ năm ngoái", "lâu lắm rồi", "cả tuần nay", "6 tháng nay",
             "từ hồi mưa bão", "mười mấy năm nay", "hơn 1 tháng"]

OPENERS = {
    "polite": ["Kính gửi UBND xã,", "Kính gửi Mặt trận xã,", "Tôi xin phản ánh:", "Xin phản ánh với xã là",
               "Cháu xin phép góp ý ạ:", "Em xin kiến nghị:", "Thưa các cán bộ xã,", "Dạ cho tôi hỏi,",
               "Tôi là người dân {place}, xin phản ánh", "Ý kiến của gia đình tôi:", "Xin chào xã,"],
    "plain": ["", "", "", "Phản ánh:", "Xã ơi", "Cho hỏi", "Báo cáo xã", "Ý kiến:", "Nhà tôi ở {place},",
              "Chuyện là", "Tôi muốn nói là", "Góp ý:"],
    "angry": ["Bức xúc quá!", "Nói mãi rồi mà", "Lại nữa,", "Xã làm ăn kiểu gì vậy?", "Dân kêu bao lần rồi,",
              "Thật sự không chịu nổi nữa,"],
}

CLOSERS = {
    "polite": ["Xin cảm ơn.", "Mong xã quan tâm giải quyết.", "Trân trọng cảm ơn!", "Mong sớm nhận được phản hồi.",
               "Cảm ơn xã nhiều ạ.", "Mong các cấp xem xét.", "Xin chân thành cảm ơn."],
    "plain": ["", "", "", "vậy thôi", "thế thôi", "nhé", "ạ", "nha"],
    "angry": ["Bức xúc lắm rồi!!!", "Dân chán lắm rồi.", "Nói mãi không ai nghe!", "Đề nghị trả lời ngay!",
              "làm ăn tắc trách quá", "Không giải quyết tôi sẽ gửi đơn lên trên!", "quá đáng thật sự"],
}

JOINERS = [", ", ". ", " nên ", ", làm cho ", " khiến ", " - ", "... "]
MIX_JOINERS = [" Ngoài ra ", ". Còn nữa, ", ". Thêm nữa là ", ", với lại ", ". Tiện đây nói luôn ", ". À, "]

KHAC_OPENERS = ["", "", "Dạ", "Chào xã,", "Xin chào,", "Ý kiến khác:", "Thưa cán bộ,", "Em chào anh chị,"]
KHAC_CLOSERS = ["", "", "ạ", "nhé", "Xin cảm ơn!", "Chúc xã luôn mạnh khỏe.", "Cảm ơn nhiều.", "hihi"]

# Whole-word dialect swaps applied before diacritics are stripped.
DIALECT = {
    "central": {"gì": "chi", "sao": "răng", "thế": "rứa", "vậy": "rứa", "này": "ni", "đâu": "mô",
                "kia": "tê", "không": "không", "ở": "ở", "tôi": "tui", "làm gì": "làm chi"},
    "south": {"không": "hông", "vậy": "dzậy", "tôi": "tui", "vào": "vô", "nhé": "nha", "thôn": "ấp",
              "bao nhiêu": "nhiêu", "thuyền": "ghe", "mương": "kênh", "rất": "quá trời", "gì": "gì"},
    "north": {"chúng nó": "bọn nó", "tôi": "tôi", "đường làng": "đường ngõ xóm", "nhé": "nhé"},
    "mountain": {"thôn": "bản", "tôi": "tôi"},
}
REGION_TAILS = {"central": ["rứa", "hỉ", "ri"], "south": ["nha", "đó", "dzậy đó"], "north": ["đấy", "thế đấy"],
                "mountain": ["đấy"]}

# Forward teencode (what residents type); nlp.normalize expands the reverse.
TEENCODE = {"không": ["ko", "k", "hok", "khg", "kh"], "được": ["dc", "đc", "dk"], "gì": ["j"], "với": ["vs"],
            "người": ["ng"], "nước": ["nc", "nuoc"], "mình": ["mik", "mk"], "biết": ["bt", "bik"],
            "rồi": ["r"], "anh em": ["ae"], "vậy": ["z", "v"], "cũng": ["cx", "cg"], "làm": ["lm"],
            "trước": ["trc"], "quá": ["wa", "qá"], "điện thoại": ["đt"], "thời gian": ["tg"]}
