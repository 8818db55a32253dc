import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportResult } from '../../api';
import { describeError } from '../../errors';
import { i18n } from '../../i18n';

export function Transfer({
  onExportAll,
  onImport,
}: {
  onExportAll?: () => Promise<void>;
  onImport?: (file: File) => Promise<ImportResult>;
}) {
  const { t } = useTranslation();
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
      setStatus(t('transfer.exported'));
    } catch (err) {
      setFailure(t('transfer.exportFailed', { reason: describeError(err) }));
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
      setFailure(t('transfer.importFailed', { file: file.name, reason: describeError(err, { context: 'import' }) }));
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
            {busy === 'export' ? t('transfer.exporting') : t('transfer.exportAll')}
          </button>
        )}
        {onImport && (
          <>
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => fileRef.current?.click()}
              disabled={busy !== null}
              title={t('transfer.importTitle')}
            >
              {busy === 'import' ? t('transfer.importing') : t('transfer.import')}
            </button>
            <input
              ref={fileRef}
              type="file"
              accept=".json,application/json"
              className="visually-hidden"
              tabIndex={-1}
              aria-label={t('transfer.file')}
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
  const parts = [i18n.t('transfer.imported', { count: imported.length })];
  if (skipped.length > 0) {
    parts.push(i18n.t('transfer.skipped', { count: skipped.length }));
  }
  return parts.join(' ');
}
