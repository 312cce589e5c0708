import 'server-only';
import { createMailer, mailerSettingsFromEnv } from '@pocket-smyth/email';
import { db } from './db';

/** Mail from the web process (sign-in links); everything else is sent by the worker's mail.send job. */
export const mailer = createMailer({ db, ...mailerSettingsFromEnv() });
