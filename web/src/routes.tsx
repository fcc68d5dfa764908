import { Flex, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useSession, type Session } from './auth';
import { useI18n } from './i18n';
import { ConsoleLayout } from './layout/console-layout';
import { ChangePasswordPage } from './pages/change-password-page';
import { DashboardPage } from './pages/dashboard-page';
import { SignInPage } from './pages/sign-in-page';

/** Where a visitor belongs; each page is reachable only in its own stage. */
type Stage = 'sign-in' | 'change-password' | 'console';

const stagePaths: Record<Stage, string> = {
  'sign-in': '/sign-in',
  'change-password': '/change-password',
  console: '/',
};

function stageOf(session: Session): Stage {
  if (session.status !== 'signed-in') return 'sign-in';
  return session.user.mustChangePassword ? 'change-password' : 'console';
}

interface ReturnState {
  from?: unknown;
}

/** Sends the visitor to their stage, remembering a console address to return to after sign-in. */
function Gate({ stage, children }: { stage: Stage; children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  const actual = stageOf(session);
  if (actual === stage) return children;

  if (actual === 'sign-in' && stage === 'console') {
    const from: ReturnState = { from: location.pathname + location.search };
    return <Navigate to={stagePaths['sign-in']} replace state={from} />;
  }
  const { from } = (location.state ?? {}) as ReturnState;
  // Only same-site paths: a crafted state must not send a user off the console.
  const target =
    actual === 'console' &&
    typeof from === 'string' &&
    from.startsWith('/') &&
    !from.startsWith('//')
      ? from
      : stagePaths[actual];
  // The state rides along so the return address survives the detour through a password change.
  return <Navigate to={target} replace state={location.state as unknown} />;
}

export function AppRoutes() {
  const { session } = useSession();
  const { t } = useI18n();
  if (session.status === 'loading') {
    return (
      <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
        <Spin description={t.loading} size="large">
          <div style={{ width: 120, height: 80 }} />
        </Spin>
      </Flex>
    );
  }
  return (
    <Routes>
      <Route
        path="/sign-in"
        element={
          <Gate stage="sign-in">
            <SignInPage />
          </Gate>
        }
      />
      <Route
        path="/change-password"
        element={
          <Gate stage="change-password">
            <ChangePasswordPage />
          </Gate>
        }
      />
      <Route
        element={
          <Gate stage="console">
            <ConsoleLayout />
          </Gate>
        }
      >
        <Route index element={<DashboardPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
