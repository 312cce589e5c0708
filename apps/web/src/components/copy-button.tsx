'use client';

import { Copy } from 'lucide-react';
import { Button } from '~/components/ui/button';
import { useToast } from '~/components/ui/toast';

/** Copies `text` to the clipboard and says so. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
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
      <Copy aria-hidden="true" className="size-4" />
      {label}
    </Button>
  );
}
