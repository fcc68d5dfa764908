import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useSession } from '../auth';
import { describeError, useI18n } from '../i18n';
import { AuthCard } from '../layout/auth-card';

interface SignInForm {
  username: string;
  password: string;
}

export function SignInPage() {
  const { t, lang } = useI18n();
  const { signIn } = useSession();
  // The error itself is kept, not its text, so switching language re-words it.
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);

  async function handleFinish({ username, password }: SignInForm) {
    setIsSubmitting(true);
    setError(null);
    try {
      // On success the router gate moves on by itself; this page simply unmounts.
      await signIn(username.trim(), password);
    } catch (caught) {
      setError(caught);
      setIsSubmitting(false);
    }
  }

  return (
    <AuthCard title={t.signIn.title}>
      {error !== null && (
        <Alert
          type="error"
          showIcon
          title={describeError(error, t, lang)}
          data-testid="signin-error"
          style={{ marginBottom: 16 }}
        />
      )}
      <Form<SignInForm>
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => void handleFinish(values)}
      >
        <Form.Item
          name="username"
          label={t.signIn.username}
          rules={[{ required: true, whitespace: true, message: t.signIn.usernameRequired }]}
        >
          <Input data-testid="signin-username" autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t.signIn.password}
          rules={[{ required: true, message: t.signIn.passwordRequired }]}
        >
          <Input.Password data-testid="signin-password" autoComplete="current-password" />
        </Form.Item>
        <Button
          data-testid="signin-submit"
          type="primary"
          htmlType="submit"
          block
          loading={isSubmitting}
        >
          {t.signIn.submit}
        </Button>
      </Form>
    </AuthCard>
  );
}
