import { configure } from '@testing-library/react';
import '@testing-library/jest-dom';

// jsdom has no ResizeObserver; recharts' ResponsiveContainer needs one and
// falls back to its initialDimension when it never fires.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (!('ResizeObserver' in globalThis)) {
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver =
    NoopResizeObserver;
}

// Component tests render whole MUI trees; on the shared 2-core machine under
// load the default 5 s is not enough for the first render of a file.
jest.setTimeout(30_000);
// ... nor is Testing Library's default 1 s for a findBy* after a click or a
// key press (an audit row expanding took over 1 s under a parallel e2e run).
configure({ asyncUtilTimeout: 5_000 });
