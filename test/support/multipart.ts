export interface FilePart {
  readonly name: string;
  readonly filename: string;
  readonly data: Buffer;
  readonly type?: string;
}

/** A multipart/form-data body with text fields (repeated when given a list) and files, as a browser sends it. */
export function multipartBody(fields: Record<string, string | readonly string[]>, file?: FilePart | readonly FilePart[]) {
  const boundary = `----cqs${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, list] of Object.entries(fields)) {
    for (const v of typeof list === 'string' ? [list] : list) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of file === undefined ? [] : 'data' in file ? [file] : file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
