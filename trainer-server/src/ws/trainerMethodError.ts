import type { TrainerErrorCode } from '../../../extension/protocol/trainerProtocol';

/** A failure a WebSocket client sees as {id, error: {code, message}}. */
export class TrainerMethodError extends Error {
  constructor(readonly code: TrainerErrorCode, message: string) {
    super(message);
  }
}
