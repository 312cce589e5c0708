import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { ToastProvider } from '~/components/ui/toast';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Pocket Smyth', template: '%s · Pocket Smyth' },
  description: 'Your own AI agent, on your operator’s hosts.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its scripts carry the nonce of that request's Content-Security-
  // Policy (src/server/security-headers.ts), which a page prerendered at build time could not.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        {/* The tRPC provider is not here: each page that fetches on the client brings its own, so
            pages that do not (sign-in, the admin overview) ship without the query client. */}
        <ToastProvider>{children}</ToastProvider>
      </body>
    </html>
  );
}
