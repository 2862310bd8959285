-- What official one-stop forms print in their upper-left corner and on their date line (TT 03/2025/TT-VPCP Phụ lục I,
-- laid out as NĐ 30/2020/NĐ-CP Phụ lục I): the governing body (tên cơ quan, tổ chức chủ quản) above the unit's own
-- name, and the place name (địa danh) of the unit's seat, as in "Khánh Hòa, ngày 05 tháng 03 năm 2026".
-- Left empty, the governing body is the parent unit (a people's committee has none) and the place name that of the
-- nearest unit, itself first, that has one or is built on an administrative unit (directory/letterhead.ts).
ALTER TABLE org_units
  ADD COLUMN governing_body text CHECK (governing_body IS NULL OR length(governing_body) BETWEEN 2 AND 300),
  ADD COLUMN place_name     text CHECK (place_name IS NULL OR length(place_name) BETWEEN 2 AND 100);
