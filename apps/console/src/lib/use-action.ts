import { useState } from 'react';
import { useApp } from '../app-context.js';

/**
 * One call at a time from a screen: `run` marks it busy, clears the last failure, and on an error
 * keeps it for an ErrorBox (a lost session first sends the operator to sign in).
 */
export function useAction() {
  const { checkSession } = useApp();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    try {
      await action();
    } catch (err) {
      checkSession(err);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, setFailure, run };
}
