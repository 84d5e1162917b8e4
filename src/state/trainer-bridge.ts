import { TrainingClient, type TrainerPlace } from '../worker/client';
import type { FileReply, FileRequest, ToTrainer } from '../worker/protocol';
import type { TrainerEvent } from './run-queue';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A file request as the store writes it: the bridge adds the id that pairs it with its reply. */
export type BridgeRequest = DistributiveOmit<FileRequest, 'requestId'>;

/**
 * The page's one line to the training worker: commands and trainer events one way, file
 * requests paired with their replies by id the other. The worker starts on first use.
 */
export class TrainerBridge {
  private client: TrainingClient | null = null;
  private counter = 0;
  private readonly pending = new Map<string, (reply: FileReply) => void>();

  constructor(private readonly onEvent: (event: TrainerEvent, place: TrainerPlace) => void) {}

  send(msg: Exclude<ToTrainer, FileRequest>): void {
    this.connection().send(msg);
  }

  /** Sends a request and resolves with the worker's reply to it. */
  request(msg: BridgeRequest): Promise<FileReply> {
    return new Promise((resolve) => {
      const requestId = `req-${++this.counter}`;
      this.pending.set(requestId, resolve);
      this.connection().send({ ...msg, requestId } as FileRequest);
    });
  }

  private connection(): TrainingClient {
    this.client ??= new TrainingClient((m, place) => {
      if ('requestId' in m) {
        this.pending.get(m.requestId)?.(m);
        this.pending.delete(m.requestId);
      } else this.onEvent(m, place);
    });
    return this.client;
  }
}
