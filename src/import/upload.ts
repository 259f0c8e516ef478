// The upload of an import's file: multer (memory storage, one file of at most MAX_UPLOAD_MB). It runs before
// the CSRF check on the two upload paths only (src/app.ts), because the check reads the token from the parsed
// body and a multipart body is parsed here; every other path keeps the urlencoded parser alone.
import type { RequestHandler } from 'express';
import multer from 'multer';
import { HttpError } from '../web/errors.ts';

export const MAX_UPLOAD_MB = 20;
/** The most data rows one import takes. */
export const MAX_ROWS = 200_000;
export const UPLOAD_PATHS = new Set(['/customers/import', '/leads/import']);

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 20, parts: 21, fieldSize: 10_000 },
}).single('file');

export const importUpload: RequestHandler = (req, res, next) => {
  if (req.method !== 'POST' || !UPLOAD_PATHS.has(req.path) || !req.is('multipart/form-data')) return next();
  upload(req, res, (err: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE')
      return next(
        new HttpError(
          413,
          'File too large',
          `The file is larger than ${MAX_UPLOAD_MB} MB. Split it and import each part.`,
        ),
      );
    next(
      new HttpError(400, 'Bad request', 'The upload could not be read. Choose one CSV file and send the form again.'),
    );
  });
};
