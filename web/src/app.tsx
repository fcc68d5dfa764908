import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { BrowserRouter } from 'react-router-dom';
import { SessionProvider } from './auth';
import { LangProvider, useI18n } from './i18n';
import { AppRoutes } from './routes';

export function App() {
  return (
    <LangProvider>
      <LocalizedApp />
    </LangProvider>
  );
}

/** antd's own texts (pagination, empty states, form messages) follow the console's language. */
function LocalizedApp() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
