import { useState } from 'react';
import type { z } from 'zod';
import type { organisationSchema, userSchema, userSessionSchema } from '../../../api/accounts.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Problem } from '../../components/common.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { api } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';

type Organisation = z.infer<typeof organisationSchema>;
type User = z.infer<typeof userSchema>;
type UserSession = z.infer<typeof userSessionSchema>;

const ROLE: Record<User['role'], MessageKey> = {
  admin: 'accounts.role.admin',
  member: 'accounts.role.member',
  officer: 'accounts.role.officer',
};

const ALL = '*';

/**
 * An organisation's users for its admins: role and status, disable and enable, remove, a new
 * password shown once, and the user's sessions to end. Platform admins choose the organisation,
 * or see every organisation's users.
 */
export default function AccountsPage() {
  const { t } = useI18n();
  const session = useSignedIn();
  const platform = session.organisation.kind === 'platform';
  const [chosen, setChosen] = useState(session.organisation.id);
  const organisations = useApi<{ organisations: Organisation[] }>(
    platform ? '/v1/organisations' : null,
  );
  const list = organisations.data?.organisations ?? [session.organisation];
  const shown = chosen === ALL ? list : list.filter((o) => o.id === chosen);
  return (
    <section>
      <h1>{t('nav.users')}</h1>
      <p className="muted">{t('accounts.intro')}</p>
      {platform && (
        <div className="card">
          <label>
            {t('accounts.organisation')}
            <select
              value={chosen}
              onChange={(e) => setChosen(e.target.value)}
              data-testid="accounts-organisation"
            >
              <option value={ALL}>{t('accounts.allOrganisations')}</option>
              {list.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
          <Problem error={organisations.error} />
        </div>
      )}
      {shown.map((o) => (
        <Users key={o.id} organisation={o} selfId={session.user.id} />
      ))}
    </section>
  );
}

function Users({ organisation, selfId }: { organisation: Organisation; selfId: string }) {
  const { t } = useI18n();
  const { data, error, reload } = useApi<{ users: User[] }>(
    `/v1/organisations/${organisation.id}/users`,
  );
  const headingId = `users-${organisation.id}`;
  return (
    <div className="card" data-testid="users">
      <h2 id={headingId}>{organisation.name}</h2>
      <Problem error={error} />
      {data && data.users.length === 0 && <p>{t('accounts.none')}</p>}
      {data && data.users.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={headingId}>
          <table aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">{t('accounts.name')}</th>
                <th scope="col">{t('accounts.email')}</th>
                <th scope="col">{t('accounts.role')}</th>
                <th scope="col">{t('accounts.status')}</th>
                <th scope="col">{t('accounts.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.users.map((u) => (
                <UserRow key={u.id} user={u} self={u.id === selfId} changed={reload} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function UserRow({ user, self, changed }: { user: User; self: boolean; changed: () => void }) {
  const { t } = useI18n();
  const { pending, run } = useAction();
  const [error, setError] = useState<Error | null>(null);
  const [password, setPassword] = useState<string | null>(null);
  const [sessions, setSessions] = useState(false);
  const base = `/v1/organisations/${user.organisationId}/users/${user.id}`;
  const act = (action: () => Promise<unknown>) =>
    void run(() =>
      action()
        .then(() => (setError(null), changed()))
        .catch((e: unknown) => setError(e as Error)),
    );
  const setDisabled = (disabled: boolean) =>
    act(() => (setPassword(null), api('PATCH', base, { disabled })));
  const reset = () =>
    act(() =>
      api<{ password: string }>('POST', `${base}/password`).then((r) => setPassword(r.password)),
    );
  const remove = () => act(() => api('DELETE', base));
  return (
    <tr data-testid="user" data-email={user.email}>
      <th scope="row">
        {user.name}
        {self && <span className="muted"> ({t('accounts.you')})</span>}
      </th>
      <td>{user.email}</td>
      <td>{t(ROLE[user.role])}</td>
      <td data-testid="user-status">
        {user.disabled ? t('accounts.status.disabled') : t('accounts.status.active')}
      </td>
      <td>
        <div className="actions">
          {!self &&
            (user.disabled ? (
              <button type="button" disabled={pending} onClick={() => setDisabled(false)}>
                {t('accounts.enable')}
              </button>
            ) : (
              <button type="button" disabled={pending} onClick={() => setDisabled(true)}>
                {t('accounts.disable')}
              </button>
            ))}
          <ConfirmButton
            label={t('accounts.resetPassword')}
            question={t('confirm.resetPassword', { name: user.name })}
            yes={t('confirm.resetPasswordYes')}
            disabled={pending}
            onConfirm={reset}
          />
          <button
            type="button"
            aria-expanded={sessions}
            disabled={user.disabled}
            onClick={() => setSessions((s) => !s)}
          >
            {t('accounts.sessions')}
          </button>
          {!self && (
            <ConfirmButton
              label={t('accounts.remove')}
              question={t('confirm.removeUser', { name: user.name })}
              yes={t('confirm.removeUserYes')}
              disabled={pending}
              onConfirm={remove}
            />
          )}
        </div>
        <Problem error={error} />
        {password && <NewPassword password={password} name={user.name} />}
        {sessions && !user.disabled && <Sessions base={base} />}
      </td>
    </tr>
  );
}

/** A generated password, shown this once, with a button to copy it. */
function NewPassword({ password, name }: { password: string; name: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = () =>
    void navigator.clipboard.writeText(password).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <div role="status" className="notice" data-testid="new-password">
      <p>
        {t('accounts.newPassword', { name })} <code data-testid="password">{password}</code>{' '}
        <button type="button" onClick={copy}>
          {t('accounts.copy')}
        </button>
      </p>
      <p>{t('accounts.shownOnce')}</p>
      {copied !== null && <p>{copied ? t('accounts.copied') : t('accounts.copyFailed')}</p>}
    </div>
  );
}

/** A user's live sessions: when each began and ends; end one or all. */
function Sessions({ base }: { base: string }) {
  const { t, dateTime } = useI18n();
  const { data, error, reload } = useApi<{ sessions: UserSession[] }>(`${base}/sessions`);
  const { pending, run } = useAction();
  const [actionError, setActionError] = useState<Error | null>(null);
  const end = (path: string) =>
    void run(() =>
      api('DELETE', path)
        .then(() => (setActionError(null), reload()))
        .catch((e: unknown) => setActionError(e as Error)),
    );
  return (
    <div data-testid="sessions">
      <Problem error={error ?? actionError} />
      {data && data.sessions.length === 0 && <p>{t('accounts.noSessions')}</p>}
      {data && data.sessions.length > 0 && (
        <>
          <ul className="list">
            {data.sessions.map((s) => (
              <li key={s.id} data-testid="session">
                {t('accounts.session', {
                  created: dateTime(s.createdAt),
                  expires: dateTime(s.expiresAt),
                })}{' '}
                <ConfirmButton
                  label={t('accounts.endSession')}
                  question={t('confirm.endSession')}
                  yes={t('confirm.endSessionYes')}
                  disabled={pending}
                  onConfirm={() => end(`${base}/sessions/${s.id}`)}
                />
              </li>
            ))}
          </ul>
          {data.sessions.length > 1 && (
            <ConfirmButton
              label={t('accounts.endAllSessions')}
              question={t('confirm.endAllSessions')}
              yes={t('confirm.endAllSessionsYes')}
              disabled={pending}
              onConfirm={() => end(`${base}/sessions`)}
            />
          )}
        </>
      )}
    </div>
  );
}
