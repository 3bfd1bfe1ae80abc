import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import type { sessionSchema } from '../../api/accounts.ts';
import { answer, ApiError, client, setCsrfToken } from '../lib/api.ts';

export type Session = z.infer<typeof sessionSchema>;

interface SessionState {
  session: Session | null;
  loading: boolean;
  /**
   * Signs in; `organisation` (an id) only when the e-mail address and password are those of users
   * of several organisations, which the refusal (400 naming `body.organisation`) then lists.
   */
  signIn: (email: string, password: string, organisation?: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const Context = createContext<SessionState | null>(null);
const SIGNED_IN = 'corridor.signedIn';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(true);
  const keep = (s: Session | null) => {
    setCsrfToken(s?.csrfToken ?? null);
    // Remembered so that a visitor who never signed in is not asked about a session.
    if (s) localStorage.setItem(SIGNED_IN, '1');
    else localStorage.removeItem(SIGNED_IN);
    setSession(s);
  };
  useEffect(() => {
    if (!localStorage.getItem(SIGNED_IN)) {
      setLoading(false);
      return;
    }
    answer(client.GET('/v1/auth/me'))
      .then(keep)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) keep(null);
        else throw e;
      })
      .finally(() => setLoading(false));
  }, []);
  const value: SessionState = {
    session,
    loading,
    signIn: async (email, password, organisation) => {
      keep(
        await answer(
          client.POST('/v1/auth/login', {
            body: { email, password, ...(organisation ? { organisation } : {}) },
          }),
        ),
      );
    },
    signOut: async () => {
      await answer(client.POST('/v1/auth/logout'));
      keep(null);
    },
  };
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(Context);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in session; pages behind sign-in only. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('page rendered without a session');
  return session;
}
