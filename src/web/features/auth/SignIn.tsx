import { useState, type FormEvent } from 'react';
import { useSession } from '../../app/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../lib/api.ts';

interface Choice {
  id: string;
  name: string;
}

/**
 * The organisations to choose from when the e-mail address and password are those of users of
 * several organisations: the sign-in's 400 names `body.organisation` and lists them. Anything
 * else is an ordinary refusal (undefined).
 */
function organisationsToChoose(err: unknown): Choice[] | undefined {
  if (!(err instanceof ApiError) || err.status !== 400) return undefined;
  if (!err.fields.some((f) => f.path === 'body.organisation')) return undefined;
  const listed = err.problem.organisations;
  if (!Array.isArray(listed)) return undefined;
  const choices = listed.filter(
    (o): o is Choice =>
      typeof o === 'object' &&
      o !== null &&
      typeof (o as Choice).id === 'string' &&
      typeof (o as Choice).name === 'string',
  );
  return choices.length > 1 ? choices : undefined;
}

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  /** Set when the address and password open several organisations: the user picks one. */
  const [choices, setChoices] = useState<Choice[] | null>(null);
  const [organisation, setOrganisation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Another address or password may open other organisations, or one: ask again.
  const changed = () => {
    setChoices(null);
    setOrganisation('');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    signIn(email, password, choices ? organisation : undefined)
      .catch((err: unknown) => {
        const several = organisationsToChoose(err);
        if (several) {
          setChoices(several);
          if (!several.some((o) => o.id === organisation)) setOrganisation('');
        } else setError(t('auth.failed', { reason: (err as Error).message }));
      })
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
            onChange={(e) => {
              setEmail(e.target.value);
              changed();
            }}
          />
        </label>
        <label>
          {t('auth.password')}
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              changed();
            }}
          />
        </label>
        {choices && (
          <>
            <p role="status" id="sign-in-organisations">
              {t('auth.severalOrganisations')}
            </p>
            <label>
              {t('auth.organisation')}
              <select
                required
                autoFocus
                aria-describedby="sign-in-organisations"
                value={organisation}
                onChange={(e) => setOrganisation(e.target.value)}
              >
                <option value="" disabled>
                  {t('auth.chooseOrganisation')}
                </option>
                {choices.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
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
