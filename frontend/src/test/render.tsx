import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ConnectionProvider } from '../connection';

export function renderWithConnection(ui: ReactElement, pollMs = 50) {
  return render(<ConnectionProvider pollMs={pollMs}>{ui}</ConnectionProvider>);
}
