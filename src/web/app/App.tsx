import { lazy, Suspense, useEffect, useRef, useState, type ComponentType } from 'react';
import type { MessageKey } from '../i18n/en.ts';
import { LANGUAGES, useI18n, type LanguageCode } from '../i18n/i18n.tsx';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';
import { SignIn } from '../features/auth/SignIn.tsx';
import { Link, navigate, useLocation } from './router.tsx';
import { useSession, type Session } from './session.tsx';

const MapPage = lazy(() => import('../features/map/MapPage.tsx'));
const PlannerPage = lazy(() => import('../features/planner/PlannerPage.tsx'));
const BookingsPage = lazy(() => import('../features/bookings/BookingsPage.tsx'));
const ShipmentsPage = lazy(() => import('../features/shipments/ShipmentsPage.tsx'));
const CustomsPage = lazy(() => import('../features/customs/CustomsPage.tsx'));
const DirectoryPage = lazy(() => import('../features/directory/DirectoryPage.tsx'));
const CouncilPage = lazy(() => import('../features/council/CouncilPage.tsx'));
const DocumentsPage = lazy(() => import('../features/documents/DocumentsPage.tsx'));
const ServicesPage = lazy(() => import('../features/services/ServicesPage.tsx'));
const AccountsPage = lazy(() => import('../features/accounts/AccountsPage.tsx'));

type Kind = Session['organisation']['kind'];

interface Page {
  path: string;
  label: MessageKey;
  component: ComponentType;
  /** Organisation kinds that see the page (platform admins see all). */
  kinds: readonly Kind[];
  /** Shown to the organisation's admins only (and to platform admins). */
  admins?: boolean;
  /** Only for the kinds named, not the platform's operator too: a desk of their own work. */
  ownWork?: boolean;
}

const TRADERS: readonly Kind[] = ['shipper', 'forwarder'];

const PAGES: readonly Page[] = [
  {
    path: '/planner',
    label: 'nav.planner',
    component: PlannerPage,
    kinds: [...TRADERS, 'coordinator'],
  },
  {
    path: '/bookings',
    label: 'nav.bookings',
    component: BookingsPage,
    kinds: [...TRADERS, 'carrier'],
  },
  {
    path: '/shipments',
    label: 'nav.shipments',
    component: ShipmentsPage,
    kinds: [...TRADERS, 'carrier', 'terminal'],
  },
  {
    path: '/customs',
    label: 'nav.customs',
    component: CustomsPage,
    kinds: ['customs'],
    // Its queues are the offices of the officer's own administration.
    ownWork: true,
  },
  {
    path: '/documents',
    label: 'nav.documents',
    component: DocumentsPage,
    kinds: [...TRADERS, 'customs', 'carrier'],
  },
  { path: '/services', label: 'nav.services', component: ServicesPage, kinds: ['carrier'] },
  { path: '/council', label: 'nav.council', component: CouncilPage, kinds: ['coordinator'] },
  {
    path: '/directory',
    label: 'nav.directory',
    component: DirectoryPage,
    kinds: [...TRADERS, 'carrier', 'terminal', 'service_provider', 'coordinator', 'customs'],
  },
  {
    path: '/map',
    label: 'nav.map',
    component: MapPage,
    kinds: [...TRADERS, 'carrier', 'terminal', 'customs', 'coordinator', 'service_provider'],
  },
  {
    path: '/users',
    label: 'nav.users',
    component: AccountsPage,
    kinds: [...TRADERS, 'carrier', 'terminal', 'customs', 'coordinator', 'service_provider'],
    admins: true,
  },
];

function pagesFor(session: Session): Page[] {
  const kind = session.organisation.kind;
  const admin = session.user.role === 'admin';
  return PAGES.filter(
    (p) => (p.kinds.includes(kind) || (kind === 'platform' && !p.ownWork)) && (admin || !p.admins),
  );
}

function LanguagePicker() {
  const { t, language, setLanguage } = useI18n();
  return (
    <label className="language">
      <span>{t('nav.language')}</span>
      <select
        value={language}
        onChange={(e) => setLanguage(e.target.value as LanguageCode)}
        data-testid="language"
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Who is signed in, with the way out: in the header on a wide screen, in the menu on a phone. */
function Who({ session, className }: { session: Session; className: string }) {
  const { t } = useI18n();
  const { signOut } = useSession();
  return (
    <div className={className}>
      <span title={`${session.user.name}, ${session.organisation.name}`}>
        {/* "Haixing admin" of Haixing: the organisation's name once. */}
        {session.user.name.startsWith(session.organisation.name)
          ? session.user.name
          : t('auth.as', {
              name: session.user.name,
              organisation: session.organisation.name,
            })}
      </span>
      <button type="button" onClick={() => void signOut().then(() => navigate('/'))}>
        {t('nav.signOut')}
      </button>
    </div>
  );
}

export function App() {
  const { t } = useI18n();
  const { session, loading } = useSession();
  const { path } = useLocation();
  // The navigation's disclosure on a phone (on a wide screen CSS shows the navigation always).
  // It is open for the page it was opened on: choosing a page closes it.
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const menuOpen = menuFor === path;
  const menuButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setMenuFor(null);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);
  if (loading) return <p className="loading">{t('common.loading')}</p>;
  const pages = session ? pagesFor(session) : [];
  const page = pages.find((p) => path === p.path || path.startsWith(`${p.path}/`));
  if (session && !page && pages[0]) {
    queueMicrotask(() => navigate(pages[0]!.path));
  }
  const Current = page?.component;
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <div className="brand">
          <strong>{t('app.name')}</strong>
          <span>{t('app.tagline')}</span>
        </div>
        {session && <Who session={session} className="who" />}
        <LanguagePicker />
        {session && (
          <button
            type="button"
            ref={menuButton}
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="menu"
            onClick={() => setMenuFor(menuOpen ? null : path)}
          >
            <span aria-hidden="true" className="menu-icon" />
            {t('nav.menu')}
          </button>
        )}
      </header>
      {session && (
        <div id="menu" className="menu" data-open={menuOpen}>
          <nav aria-label={t('nav.main')} className="nav">
            <ul>
              {pages.map((p) => (
                <li key={p.path}>
                  <Link to={p.path} current={p === page}>
                    {t(p.label)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <Who session={session} className="who who-menu" />
        </div>
      )}
      <main id="main" tabIndex={-1}>
        {!session ? (
          <SignIn />
        ) : Current ? (
          <ErrorBoundary resetKey={path} message={(reason) => t('common.error', { reason })}>
            <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
              <Current />
            </Suspense>
          </ErrorBoundary>
        ) : null}
      </main>
    </>
  );
}
