import os from 'node:os';
import path from 'node:path';
import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';

/**
 * Class-data sharing for the JVMs Sluice starts on this machine (SLUICE_CDS, `on` unless `off`), and
 * where their archives are kept (SLUICE_CDS_DIR, by default ~/.cache/sluice/cds: one folder for every
 * platform of the user, tests included, whose engines are shared, and outside any engine folder,
 * which may be read-only).
 */
export type ClassSharingSetting = { enabled: false } | { enabled: true; dir: string };

export function parseClassSharingSetting(env: NodeJS.ProcessEnv): ClassSharingSetting {
  const v = env.SLUICE_CDS?.trim() ?? '';
  if (v === 'off') return { enabled: false };
  if (v !== '' && v !== 'on')
    throw new SluiceError('invalid_argument', message('config.classSharing', { value: v }), {
      setting: 'SLUICE_CDS',
    });
  return {
    enabled: true,
    dir: path.resolve(env.SLUICE_CDS_DIR || path.join(os.homedir(), '.cache', 'sluice', 'cds')),
  };
}
