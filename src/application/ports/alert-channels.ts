/**
 * The alert channels the metadata store keeps. `settings` is the channel's settings as JSON with its
 * secret fields already sealed: the store never sees them in the clear.
 */
export interface StoredAlertChannel {
  name: string;
  type: string;
  settings: string;
  createdAt: string;
  updatedAt: string;
}

export interface AlertChannelStore {
  list(): Promise<StoredAlertChannel[]>;
  get(name: string): Promise<StoredAlertChannel | undefined>;
  /** Inserts or replaces a channel; its creation time stays. */
  save(c: Omit<StoredAlertChannel, 'createdAt' | 'updatedAt'>): Promise<void>;
  /** False when there was no such channel. */
  remove(name: string): Promise<boolean>;
}
