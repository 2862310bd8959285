-- Administrative units (ĐVHC) as effective-dated rows; mergers link predecessors to successors.

CREATE TABLE admin_units (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code       text NOT NULL,                      -- GSO statistical code; the same code may be reused across eras
  level      text NOT NULL CHECK (level IN ('province', 'district', 'commune')),
  kind       text NOT NULL,                      -- Tỉnh, Thành phố, Huyện, Quận, Xã, Phường, Thị trấn, Đặc khu…
  name       text NOT NULL,
  full_name  text NOT NULL,
  name_en    text,
  parent_id  uuid REFERENCES admin_units(id),
  valid_from date NOT NULL,
  valid_to   date,                               -- exclusive
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (level, code, valid_from),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX admin_units_parent_idx ON admin_units (parent_id);
CREATE INDEX admin_units_code_idx ON admin_units (code);

CREATE TABLE admin_unit_links (
  predecessor_id uuid NOT NULL REFERENCES admin_units(id),
  successor_id   uuid NOT NULL REFERENCES admin_units(id),
  kind           text NOT NULL CHECK (kind IN ('full', 'partial')),
  effective_on   date NOT NULL,
  legal_basis    text,
  PRIMARY KEY (predecessor_id, successor_id)
);
CREATE INDEX admin_unit_links_successor_idx ON admin_unit_links (successor_id);

ALTER TABLE org_units ADD CONSTRAINT org_units_admin_unit_fk FOREIGN KEY (admin_unit_id) REFERENCES admin_units(id);
