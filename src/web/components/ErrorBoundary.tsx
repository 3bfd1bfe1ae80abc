import { Component, type ReactNode } from 'react';

/** Keeps the navigation alive when one page fails to draw, and says what failed. */
export class ErrorBoundary extends Component<
  { children: ReactNode; message: (reason: string) => string; resetKey: string },
  { error: Error | null; key: string }
> {
  override state: { error: Error | null; key: string } = { error: null, key: '' };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(
    props: { resetKey: string },
    state: { error: Error | null; key: string },
  ) {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }

  override render() {
    return this.state.error ? (
      <p role="alert" className="error">
        {this.props.message(this.state.error.message)}
      </p>
    ) : (
      this.props.children
    );
  }
}
