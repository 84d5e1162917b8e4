import { useEffect } from 'react';
import { chooseDefaultBackend, detectWebgl } from '../bnn/backend';
import { useRuns } from '../state/runs';

/** Once per page: probe WebGL and make the fastest trustworthy backend the default. */
export function useDefaultBackend(): void {
  const setBackendDefault = useRuns((s) => s.setBackendDefault);
  useEffect(() => {
    const choice = chooseDefaultBackend(detectWebgl());
    setBackendDefault(choice.backend, choice.notice ?? null);
  }, [setBackendDefault]);
}
