import type { ParamSnapshot } from '../bnn/model/params';
import { fetchExampleModel, fetchGallery, type Gallery } from './examples';
import type { RunRecord } from './run-record';
import { errorText, type RunsStore, type StoreContext } from './run-store-types';

const EXAMPLES_KEY = 'bnn-playground-examples';

/** Whether the gallery is shown on this visit: yes unless the user hid it. */
export function examplesWanted(): boolean {
  try {
    return globalThis.localStorage?.getItem(EXAMPLES_KEY) !== 'hidden';
  } catch {
    return true;
  }
}

/** The store's example gallery: shown on a first visit, fetched once per page, hidden with one click. */
export function exampleActions(ctx: StoreContext): Pick<RunsStore, 'showExamples'> & { teacherWeights(run: RunRecord): Promise<ParamSnapshot> } {
  let gallery: Promise<Gallery> | null = null;
  const weights = new Map<string, Promise<ParamSnapshot>>();

  const readWeights = async (t: RunRecord): Promise<ParamSnapshot> => {
    const [bytes, { importModel }] = await Promise.all([fetchExampleModel(ctx.baseUrl, t), import('../io/import')]);
    const m = importModel(bytes);
    if (!m.snapshot) throw new Error(`the model file of ${t.name} holds no full-precision weights`);
    return m.snapshot;
  };

  return {
    /** An example's weights from its model file, read once (a distillation teacher's). */
    teacherWeights: (t) => {
      let w = weights.get(t.id);
      if (!w) {
        w = readWeights(t);
        weights.set(t.id, w);
        w.catch(() => weights.delete(t.id));
      }
      return w;
    },
    showExamples: async (show) => {
      try {
        globalThis.localStorage?.setItem(EXAMPLES_KEY, show ? 'shown' : 'hidden');
      } catch {
        // Not remembered; the choice still holds for this page.
      }
      const { get, set, dispatch } = ctx;
      if (!show) {
        dispatch({ type: 'remove', ids: get().runs.filter((r) => r.example).map((r) => r.id) });
        set({ examples: { status: 'hidden', error: null, totalBytes: get().examples.totalBytes } });
        return;
      }
      set({ examples: { ...get().examples, status: 'loading', error: null } });
      try {
        gallery ??= fetchGallery(ctx.baseUrl);
        const g = await gallery;
        // Hidden again while they loaded.
        if (!examplesWanted()) return;
        for (const run of g.runs) dispatch({ type: 'add', run });
        set({ examples: { status: 'shown', error: g.errors.length ? g.errors.join('; ') : null, totalBytes: g.totalBytes } });
      } catch (e) {
        gallery = null;
        set({ examples: { status: 'failed', error: errorText(e), totalBytes: null } });
      }
    },
  };
}
