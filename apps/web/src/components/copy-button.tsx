'use client';

import type { ReactNode } from 'react';
import { Button } from '~/components/ui/button';
import { useToast } from '~/components/ui/toast';

/**
 * Copies `text` to the clipboard and says so. `icon` is rendered by the server component that uses it
 * (`<Copy aria-hidden="true" className="size-4" />`), so lucide's runtime stays out of the browser.
 */
export function CopyButton({
  text,
  label = 'Copy',
  icon,
}: {
  text: string;
  label?: string;
  icon?: ReactNode;
}) {
  const toast = useToast();
  return (
    <Button
      variant="secondary"
      className="px-2 py-1"
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        toast('Copied.');
      }}
    >
      {icon}
      {label}
    </Button>
  );
}
