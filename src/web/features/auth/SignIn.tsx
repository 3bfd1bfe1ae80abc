import { useState, type FormEvent } from 'react';
import { useSession } from '../../app/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    signIn(email, password)
      .catch((err: unknown) => setError(t('auth.failed', { reason: (err as Error).message })))
      .finally(() => setBusy(false));
  };
  return (
    <section className="card narrow">
      <h1>{t('auth.title')}</h1>
      <form onSubmit={submit} className="stack">
        <label>
          {t('auth.email')}
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          {t('auth.password')}
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('auth.submit')}
        </button>
      </form>
    </section>
  );
}
