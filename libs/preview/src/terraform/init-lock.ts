import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '@ephenv/core';
import { terraformStateDir } from './cli-config';

export interface InitLockOptions {
  /** How long to wait for another run's init (default 10 minutes). */
  timeoutMs?: number;
}

/** A lock directory without an owner file yet is being created; only an old one is abandoned. */
const OWNERLESS_GRACE_MS = 30_000;

function abandoned(lockDir: string): boolean {
  try {
    const pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    return !Number.isInteger(pid) || pid <= 0 || !isAlive(pid);
  } catch {
    try {
      return Date.now() - statSync(lockDir).mtimeMs > OWNERLESS_GRACE_MS;
    } catch {
      return false;
    }
  }
}

/**
 * Runs `fn` (a `terraform init`) while no other ephenv process of this workspace runs one.
 * Terraform's shared plugin cache is not safe for concurrent installs: parallel inits of several
 * models fail with "failed to create directory ... file exists" unless they take turns.
 */
export async function withInitLock<T>(workspaceRoot: string, fn: () => Promise<T>, options: InitLockOptions = {}): Promise<T> {
  const lockDir = join(terraformStateDir(workspaceRoot), 'init.lock');
  mkdirSync(terraformStateDir(workspaceRoot), { recursive: true });
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);

  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (abandoned(lockDir)) {
      // Renaming first means only one waiter removes an abandoned lock.
      const aside = `${lockDir}.abandoned.${process.pid}`;
      try {
        renameSync(lockDir, aside);
        rmSync(aside, { recursive: true, force: true });
      } catch {
        /* another waiter got there first */
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `another terraform init has held ${lockDir} for too long; if no ephenv deploy is running, remove that directory and retry.`,
      );
    }
    await sleep(100);
  }

  try {
    writeFileSync(join(lockDir, 'pid'), String(process.pid));
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
