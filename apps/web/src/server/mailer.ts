import 'server-only';
import { createMailer } from '@pocket-smyth/email';
import { mailerSettings } from '@pocket-smyth/email/env';
import { env } from '~/env';
import { db } from './db';

/** Mail from the web process (sign-in links); everything else is sent by the worker's mail.send job. */
export const mailer = createMailer({ db, ...mailerSettings(env) });
