import { App, Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession, useSignedInUser } from '../auth';
import { describeError, useI18n } from '../i18n';
import { LangSwitch } from './lang-switch';
import { roleName } from './role-name';

const { Header, Sider, Content } = Layout;

/** The frame around every signed-in page; only rendered once the session holds a user. */
export function ConsoleLayout() {
  const user = useSignedInUser();
  const { t, lang } = useI18n();
  const { signOut } = useSession();
  const { message } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const [isSigningOut, setIsSigningOut] = useState(false);

  const menuItems = [{ key: '/', label: t.console.menuDashboard }];

  async function handleSignOut() {
    setIsSigningOut(true);
    try {
      await signOut();
      void message.success(t.console.signedOut);
    } catch (error) {
      void message.error(describeError(error, t, lang));
      setIsSigningOut(false);
    }
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider breakpoint="lg" collapsedWidth={0} theme="light">
        <div style={{ padding: '16px 24px' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t.appName}
          </Typography.Title>
          <Typography.Text type="secondary">{t.appTagline}</Typography.Text>
        </div>
        <Menu
          mode="inline"
          selectedKeys={[location.pathname]}
          items={menuItems}
          onClick={({ key }) => void navigate(key)}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            background: 'transparent',
            paddingInline: 24,
          }}
        >
          <Space size="middle">
            <Typography.Text strong data-testid="header-user">
              {user.displayName}
            </Typography.Text>
            <Tag>{roleName(user.role, t)}</Tag>
            <LangSwitch />
            <Button
              data-testid="signout"
              loading={isSigningOut}
              onClick={() => void handleSignOut()}
            >
              {t.console.signOut}
            </Button>
          </Space>
        </Header>
        <Content style={{ padding: 24 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
