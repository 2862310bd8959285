-- The one-stop forms as effective-dated template versions (rule sets of record type 'dossier_forms'): each version
-- numbers and names its forms, and a dossier's forms follow the version in force on the day it was submitted.
-- TT 01/2018/TT-VPCP Điều 9 had six forms (no stop notice; the control slip was Mẫu 05, the register Mẫu 06);
-- TT 03/2025/TT-VPCP Phụ lục I (guiding NĐ 118/2025/NĐ-CP) has seven, adding the stop notice as Mẫu 05
-- (reference/regulations.md §1.5). TT 03/2025 is dated 15/09/2025 and its forms apply from that day [S]; dossiers
-- submitted between NĐ 118/2025 (01/07/2025) and then kept the 2018 forms, the only ones in force. TT 04/2025/TT-VPCP
-- (from 25/01/2026) amends TT 03/2025 on the dossier code and the data sent to the national portal, not the forms as
-- far as is known [R]: a change of forms would be a new row from its date. 2019-01-01 is the date CQS takes for
-- TT 01/2018 (as in migrations/0005); dossiers older than the first version print with it.
INSERT INTO rule_sets (record_type, name, legal_basis, basis, rules, valid_from, valid_to) VALUES
('dossier_forms', 'Biểu mẫu một cửa theo TT 01/2018/TT-VPCP', 'TT 01/2018/TT-VPCP Điều 9',
 '{"reference": "TT 01/2018/TT-VPCP", "forms": "TT 01/2018/TT-VPCP Điều 9, Mẫu 01–06 (không có mẫu thông báo dừng giải quyết)", "apologyAsks": "TT 01/2018/TT-VPCP Mẫu 04: hẹn lại ngày trả kết quả"}',
 '{"reference": "TT 01/2018/TT-VPCP",
   "apologyAsks": "new_date",
   "forms": {
     "receipt": {"number": "01", "title": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"},
     "supplement_request": {"number": "02", "title": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"},
     "refusal": {"number": "03", "title": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"},
     "apology": {"number": "04", "title": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"},
     "control_slip": {"number": "05", "title": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"},
     "register": {"number": "06", "title": "SỔ THEO DÕI HỒ SƠ"}
   }}',
 '2019-01-01', '2025-09-15'),
('dossier_forms', 'Biểu mẫu một cửa theo TT 03/2025/TT-VPCP', 'TT 03/2025/TT-VPCP Phụ lục I (hướng dẫn NĐ 118/2025/NĐ-CP); TT 04/2025/TT-VPCP sửa đổi, bổ sung từ 25/01/2026',
 '{"reference": "TT 03/2025/TT-VPCP", "forms": "TT 03/2025/TT-VPCP Phụ lục I, Mẫu 01–07", "apologyAsks": "TT 03/2025/TT-VPCP Mẫu 04: văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"}',
 '{"reference": "TT 03/2025/TT-VPCP",
   "apologyAsks": "extension",
   "forms": {
     "receipt": {"number": "01", "title": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"},
     "supplement_request": {"number": "02", "title": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"},
     "refusal": {"number": "03", "title": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"},
     "apology": {"number": "04", "title": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"},
     "stop_notice": {"number": "05", "title": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"},
     "control_slip": {"number": "06", "title": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"},
     "register": {"number": "07", "title": "SỔ THEO DÕI HỒ SƠ"}
   }}',
 '2025-09-15', NULL);
