import { inflateSync } from 'node:zlib';

/**
 * A structural check of a PDF, enough to know the upload is a whole document and not bytes that merely begin with
 * `%PDF-`: the header, `%%EOF` at the end, a `startxref` pointing at a cross-reference table (with its trailer) or a
 * cross-reference stream, and a document catalogue (`/Root`) found through it. It follows `/Prev` across incremental
 * updates (signed PDFs are built that way). It does not render pages; it refuses what no reader could open.
 */
export function isWellFormedPdf(data: Buffer): boolean {
  if (!/^%PDF-\d\.\d/.test(data.subarray(0, 8).toString('latin1'))) return false;
  const tailStart = Math.max(0, data.length - 2048);
  const tail = data.subarray(tailStart).toString('latin1');
  const eof = tail.lastIndexOf('%%EOF');
  if (eof < 0) return false;
  const starts = [...tail.slice(0, eof).matchAll(/startxref\s+(\d+)\s*$/g)];
  const offset = Number(starts.at(-1)?.[1] ?? Number.NaN);
  if (!Number.isSafeInteger(offset) || offset <= 0 || offset >= tailStart + eof) return false;
  try {
    return findCatalogue(data, offset);
  } catch {
    return false;
  }
}

interface XrefSection {
  /** Where each object of this section starts (object number → byte offset); objects inside streams map to -1. */
  readonly offsets: Map<number, number>;
  readonly root: number | undefined;
  readonly prev: number | undefined;
}

const MAX_SECTIONS = 64;

function findCatalogue(data: Buffer, firstOffset: number): boolean {
  let root: number | undefined;
  const offsets = new Map<number, number>();
  const seen = new Set<number>();
  let next: number | undefined = firstOffset;
  while (next !== undefined) {
    if (seen.has(next) || seen.size >= MAX_SECTIONS) return false;
    seen.add(next);
    const section = readXrefSection(data, next);
    if (!section) return false;
    root ??= section.root;
    // Later sections (read first) win: an incremental update replaces earlier objects.
    for (const [n, o] of section.offsets) if (!offsets.has(n)) offsets.set(n, o);
    next = section.prev;
  }
  if (root === undefined) return false;
  const at = offsets.get(root);
  if (at === undefined) return false;
  if (at === -1) return true; // kept in an object stream, whose own entry was checked to be a real object
  return isCatalogueAt(data, at, root);
}

function readXrefSection(data: Buffer, offset: number): XrefSection | null {
  const head = data.subarray(offset, offset + 64).toString('latin1');
  if (/^\s*xref\b/.test(head)) return readXrefTable(data, offset);
  if (/^\s*\d+\s+\d+\s+obj\b/.test(head)) return readXrefStream(data, offset);
  return null;
}

const refIn = (dict: string, key: string) => {
  const m = new RegExp(`/${key}\\s+(\\d+)\\s+(\\d+)\\s+R`).exec(dict);
  return m ? Number(m[1]) : undefined;
};
const numberIn = (dict: string, key: string) => {
  const m = new RegExp(`/${key}\\s+(\\d+)(?!\\s+\\d+\\s+R)`).exec(dict);
  return m ? Number(m[1]) : undefined;
};

/** A classic table: `xref`, subsections of 20-byte entries, then `trailer << … >>`. */
function readXrefTable(data: Buffer, offset: number): XrefSection | null {
  const text = data.subarray(offset, Math.min(data.length, offset + 20 * 1024 * 1024)).toString('latin1');
  const trailerAt = text.indexOf('trailer');
  if (trailerAt < 0) return null;
  const body = text.slice(text.indexOf('xref') + 4, trailerAt);
  const offsets = new Map<number, number>();
  const lines = body.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== '');
  let objectNumber = -1;
  let remaining = 0;
  for (const line of lines) {
    const header = /^(\d+)\s+(\d+)$/.exec(line);
    if (remaining === 0 && header) {
      objectNumber = Number(header[1]);
      remaining = Number(header[2]);
      continue;
    }
    const entry = /^(\d{10})\s+(\d{5})\s+([nf])$/.exec(line);
    if (!entry || remaining === 0) return null;
    if (entry[3] === 'n') offsets.set(objectNumber, Number(entry[1]));
    objectNumber += 1;
    remaining -= 1;
  }
  if (remaining !== 0) return null;
  const dict = /^trailer\s*<<([\s\S]*?)>>\s*(startxref|$)/.exec(text.slice(trailerAt))?.[1] ?? /^trailer\s*<<([\s\S]*)$/.exec(text.slice(trailerAt, trailerAt + 4096))?.[1];
  if (dict === undefined) return null;
  // A hybrid file also lists objects in a cross-reference stream named by /XRefStm.
  const stm = numberIn(dict, 'XRefStm');
  if (stm !== undefined) {
    const extra = readXrefStream(data, stm);
    if (!extra) return null;
    for (const [n, o] of extra.offsets) if (!offsets.has(n)) offsets.set(n, o);
  }
  return { offsets, root: refIn(dict, 'Root'), prev: numberIn(dict, 'Prev') };
}

/** A cross-reference stream (PDF 1.5+): `n 0 obj << /Type /XRef /W [...] … >> stream … endstream`. */
function readXrefStream(data: Buffer, offset: number): XrefSection | null {
  const text = data.subarray(offset, Math.min(data.length, offset + 4096)).toString('latin1');
  const m = /^\s*\d+\s+\d+\s+obj\s*<<([\s\S]*?)>>\s*stream(\r\n|\n|\r)/.exec(text);
  if (!m?.[1] || !/\/Type\s*\/XRef\b/.test(m[1])) return null;
  const dict = m[1];
  const length = numberIn(dict, 'Length');
  const size = numberIn(dict, 'Size');
  const w = /\/W\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(dict)?.slice(1).map(Number);
  if (length === undefined || size === undefined || !w || w.some((x) => x > 8)) return null;
  const start = offset + Buffer.byteLength(m[0], 'latin1');
  if (start + length > data.length) return null;
  let raw = data.subarray(start, start + length);
  if (/\/Filter\s*\/FlateDecode\b/.test(dict)) raw = inflateSync(raw);
  else if (/\/Filter\b/.test(dict)) return null;
  const width = (w[0] ?? 0) + (w[1] ?? 0) + (w[2] ?? 0);
  const predictor = numberIn(dict, 'Predictor') ?? 1;
  const rows = predictor >= 10 ? unpredictPng(raw, width) : raw;
  if (rows === null || width === 0 || rows.length % width !== 0) return null;
  const index = /\/Index\s*\[([\d\s]*)\]/.exec(dict)?.[1]?.trim().split(/\s+/).map(Number) ?? [0, size];
  const offsets = new Map<number, number>();
  let row = 0;
  for (let i = 0; i + 1 < index.length; i += 2) {
    const first = index[i] ?? 0;
    const count = index[i + 1] ?? 0;
    for (let k = 0; k < count; k++, row++) {
      if ((row + 1) * width > rows.length) return null;
      const fields = [0, 1, 2].map((f) => readField(rows, row * width + (w.slice(0, f).reduce((a, b) => a + b, 0)), w[f] ?? 0));
      const type = (w[0] ?? 0) === 0 ? 1 : (fields[0] ?? 0);
      if (type === 1) offsets.set(first + k, fields[1] ?? 0);
      if (type === 2) offsets.set(first + k, -1);
    }
  }
  return { offsets, root: refIn(dict, 'Root'), prev: numberIn(dict, 'Prev') };
}

function readField(rows: Buffer, at: number, width: number): number {
  let value = 0;
  for (let i = 0; i < width; i++) value = value * 256 + (rows[at + i] ?? 0);
  return value;
}

/** Undoes the PNG row predictors (one filter byte per row) that cross-reference streams usually carry. */
function unpredictPng(raw: Buffer, columns: number): Buffer | null {
  const stride = columns + 1;
  if (columns === 0 || raw.length % stride !== 0) return null;
  const out = Buffer.alloc((raw.length / stride) * columns);
  for (let r = 0; r < raw.length / stride; r++) {
    const filter = raw[r * stride];
    for (let c = 0; c < columns; c++) {
      const x = raw[r * stride + 1 + c] ?? 0;
      const up = r > 0 ? (out[(r - 1) * columns + c] ?? 0) : 0;
      const left = c > 0 ? (out[r * columns + c - 1] ?? 0) : 0;
      const upLeft = r > 0 && c > 0 ? (out[(r - 1) * columns + c - 1] ?? 0) : 0;
      let v: number;
      if (filter === 0) v = x;
      else if (filter === 1) v = x + left;
      else if (filter === 2) v = x + up;
      else if (filter === 3) v = x + Math.floor((left + up) / 2);
      else if (filter === 4) v = x + paeth(left, up, upLeft);
      else return null;
      out[r * columns + c] = v & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The object at `offset` is `root 0 obj << … /Type /Catalog … >>`. */
function isCatalogueAt(data: Buffer, offset: number, root: number): boolean {
  const text = data.subarray(offset, Math.min(data.length, offset + 8192)).toString('latin1');
  const m = /^\s*(\d+)\s+\d+\s+obj\s*<<([\s\S]*?)endobj/.exec(text);
  return m !== null && Number(m[1]) === root && /\/Type\s*\/Catalog\b/.test(m[2] ?? '');
}
