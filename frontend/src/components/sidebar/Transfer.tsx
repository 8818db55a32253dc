import { useRef, useState } from 'react';
import type { ImportResult } from '../../api';
import { describeError } from '../../errors';

export function Transfer({
  onExportAll,
  onImport,
}: {
  onExportAll?: () => Promise<void>;
  onImport?: (file: File) => Promise<ImportResult>;
}) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  async function exportAll() {
    if (!onExportAll) return;
    setBusy('export');
    setStatus(null);
    setFailure(null);
    try {
      await onExportAll();
      setStatus('Your chats were exported.');
    } catch (err) {
      setFailure(`Couldn’t export your chats: ${describeError(err)}`);
    } finally {
      setBusy(null);
    }
  }

  async function importFile(file: File) {
    if (!onImport) return;
    setBusy('import');
    setStatus(null);
    setFailure(null);
    try {
      const result = await onImport(file);
      setStatus(describeImport(result));
    } catch (err) {
      setFailure(`Couldn’t import ${file.name}: ${describeError(err, { context: 'import' })}.`);
    } finally {
      setBusy(null);
      if (fileRef.current) fileRef.current.value = '';
    }
  }

  return (
    <div className="sidebar-footer">
      <div className="transfer-buttons">
        {onExportAll && (
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => void exportAll()}
            disabled={busy !== null}
          >
            {busy === 'export' ? 'Exporting…' : 'Export all chats'}
          </button>
        )}
        {onImport && (
          <>
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => fileRef.current?.click()}
              disabled={busy !== null}
              title="A Cora export, or conversations.json from a ChatGPT data export"
            >
              {busy === 'import' ? 'Importing…' : 'Import chats…'}
            </button>
            <input
              ref={fileRef}
              type="file"
              accept=".json,application/json"
              className="visually-hidden"
              tabIndex={-1}
              aria-label="File to import"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void importFile(file);
              }}
            />
          </>
        )}
      </div>
      {status && (
        <p className="transfer-status" role="status">
          {status}
        </p>
      )}
      {failure && (
        <p className="sidebar-error" role="alert">
          {failure}
        </p>
      )}
    </div>
  );
}

export function describeImport({ imported, skipped }: ImportResult): string {
  const chats = (n: number) => `${n} chat${n === 1 ? '' : 's'}`;
  const parts = [`Imported ${chats(imported.length)}.`];
  if (skipped.length > 0) {
    parts.push(`Skipped ${chats(skipped.length)} already in your list.`);
  }
  return parts.join(' ');
}
