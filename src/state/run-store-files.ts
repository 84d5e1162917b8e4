import { fetchExampleModel } from './examples';
import { importedRun } from './run-files';
import { freeColorIndex } from './run-record';
import { errorText, type RunsStore, type StoreContext } from './run-store-types';

/** The store's file actions: export a run's model, import one as a run, train an import further, upload CIFAR-10. */
export function fileActions(ctx: StoreContext): Pick<RunsStore, 'exportRun' | 'importFile' | 'continueTraining' | 'uploadCifar10'> {
  const { get, set, dispatch, find, bridge } = ctx;
  return {
    exportRun: async (id, includeLatent) => {
      const r = find(id);
      if (!r) return null;
      if (r.imported && !r.imported.hasLatent) return r.imported.bytes;
      if (r.example) {
        try {
          return await fetchExampleModel(ctx.baseUrl, r);
        } catch (e) {
          set({ fileError: errorText(e) });
          return null;
        }
      }
      const snapshot = r.snapshot ?? (await ctx.archive.loadWeights(id))?.snapshot;
      if (!snapshot) {
        set({ fileError: `${r.name} has no saved weights to export` });
        return null;
      }
      const last = r.evals.at(-1);
      const reply = await bridge.request({ type: 'export', config: r.config, snapshot, testAccuracy: last ? last.testAccuracy : null, includeLatent });
      if (reply.type !== 'exported') {
        set({ fileError: reply.type === 'request-failed' ? `Export failed: ${reply.message}` : 'Export failed' });
        return null;
      }
      dispatch({ type: 'exported', id, bytes: reply.bytes.length });
      set({ fileError: null });
      return reply.bytes;
    },
    importFile: async (fileName, bytes) => {
      const reply = await bridge.request({ type: 'import', fileName, bytes });
      if (reply.type !== 'imported') {
        set({ fileError: reply.type === 'request-failed' ? `${fileName}: ${reply.message}` : `${fileName}: import failed` });
        return null;
      }
      const number = ctx.nextNumber();
      const id = `import-${Date.now().toString(36)}-${number}`;
      dispatch({ type: 'add', run: importedRun(reply, fileName, bytes, { id, number, colorIndex: freeColorIndex(get().runs), createdAt: Date.now() }) });
      set({ fileError: null });
      void ctx.save(id, { step: reply.config.steps, final: true, snapshot: reply.snapshot });
      return id;
    },
    continueTraining: (id) => {
      const r = find(id);
      if (!r?.snapshot || !r.imported?.hasLatent) return;
      ctx.enqueue(r.config, { resumeFrom: { step: 0, snapshot: r.snapshot } });
      ctx.startNext();
    },
    uploadCifar10: async (files) => {
      const reply = await bridge.request({ type: 'cifar10', files });
      if (reply.type !== 'cifar10-loaded') {
        set({ fileError: reply.type === 'request-failed' ? reply.message : 'CIFAR-10 upload failed' });
        return;
      }
      set({ cifar10: { train: reply.train, test: reply.test }, fileError: null });
    },
  };
}
