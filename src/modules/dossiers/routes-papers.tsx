import { signatureViewOf } from './signature-view.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { userIn } from './area.ts';
import { Type } from 'typebox';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { FileStore } from '../../platform/files/file-store.ts';
import { storeUpload, uploadProblem } from '../../platform/files/store-upload.ts';
import { uploadedFiles } from '../../platform/http/multipart.ts';
import { actorOf, currentUser, requireUser } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { RecordsPage } from './pages/records-page.tsx';
import { type FileContent, listMyRecords, readDossierPaper, readMyRecord } from './read-papers.ts';
import { FileView, RecordView } from './schema.ts';

const PaperParams = Type.Object({ id: Type.String({ format: 'uuid' }), paperId: Type.String({ format: 'uuid' }) });
const RecordParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Sends a stored file as a download: the sniffed type, a name that cannot break the header, never rendered inline. */
function sendFile(reply: FastifyReply, file: FileContent) {
  const ascii = file.fileName.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '') || 'tep';
  return reply
    .header('content-type', file.mediaType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .header('cache-control', 'private, no-store')
    .send(file.data);
}

export function paperRoutes(deps: { db: Db; files: FileStore; config: Config }) {
  const { db, files } = deps;
  return (app: App) => {
    app.post(
      '/api/v1/files',
      {
        // Each account may upload a bounded number of files a minute: storage is not an open drop box.
        config: { rateLimit: { max: deps.config.uploadsPerMinute, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => currentUser(request)?.id ?? request.ip } },
        schema: {
          tags: ['dossiers'],
          summary: 'Upload one paper (multipart field "file": PDF, JPEG or PNG up to 10 MB, typed by content); then name its id in a submission or action',
          consumes: ['multipart/form-data'],
          response: { 201: FileView },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const [file, ...more] = uploadedFiles(request.body, 'file');
        if (!file || more.length > 0) throw AppError.validation([{ field: 'file', code: 'required', messageVi: 'Gửi đúng một tệp trong trường "file".', messageEn: 'Send exactly one file in field "file".' }]);
        const tooLarge = file.truncated ? uploadProblem('file', file) : null;
        if (tooLarge) throw new AppError('payload_too_large', { fieldErrors: [tooLarge] });
        const stored = await storeUpload(db, files, actorOf(request), user.id, 'file', file);
        return reply.status(201).send({ id: stored.id, fileName: stored.file_name, mediaType: stored.media_type, sizeBytes: stored.size_bytes, sha256: stored.sha256, signature: signatureViewOf(stored) });
      },
    );

    const paper = async (request: { params: unknown }, user: ReturnType<typeof requireUser>) => {
      const p = request.params as { id: string; paperId: string };
      return readDossierPaper(db, files, user, p.id, p.paperId);
    };
    app.get('/api/v1/dossiers/:id/papers/:paperId', { schema: { tags: ['dossiers'], summary: 'Download a paper of a dossier (its applicant and officers in scope)', params: PaperParams } }, async (request, reply) =>
      sendFile(reply, await paper(request, requireUser(request))),
    );
    for (const base of ['dich-vu-cong', 'mot-cua'] as const) {
      app.get(`/${base}/ho-so/:id/giay-to/:paperId`, { schema: { hide: true, params: PaperParams } }, async (request, reply) => sendFile(reply, await paper(request, userIn(request, base))));
    }

    app.get('/api/v1/me/records', { schema: { tags: ['dossiers'], summary: 'My digitised records (papers and results), reusable in later dossiers', response: { 200: Type.Array(RecordView) } } }, async (request) =>
      listMyRecords(db, requireUser(request)),
    );
    app.get('/api/v1/me/records/:id/file', { schema: { tags: ['dossiers'], summary: 'Download one of my digitised records', params: RecordParams } }, async (request, reply) =>
      sendFile(reply, await readMyRecord(db, files, requireUser(request), request.params.id)),
    );
    app.get('/dich-vu-cong/kho-giay-to', { schema: { hide: true } }, async (request, reply) => {
      const user = requireUser(request);
      return sendPage(reply, <RecordsPage ctx={pageContext(request)} records={await listMyRecords(db, user)} />);
    });
  };
}
