export { createFakeMatrix, type FakeMatrix, type FakeMatrixEvent, type FakeTransactionEvent } from './fake-matrix.ts';
export { openTestStore } from './open-test-store.ts';
