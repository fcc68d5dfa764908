import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { minPasswordLength, useSession, useSignedInUser } from '../auth';
import { describeError, format, useI18n } from '../i18n';
import { AuthCard } from '../layout/auth-card';

interface NewPasswordForm {
  currentPassword?: string;
  password: string;
  confirm: string;
}

/** The forced step after signing in with a one-time password. */
export function ChangePasswordPage() {
  const { t, lang } = useI18n();
  const { changePassword, signOut, hasOneTimePassword } = useSession();
  const user = useSignedInUser();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const lengthRule = format(t.newPassword.passwordRule, { min: minPasswordLength });

  async function handleFinish({ currentPassword, password }: NewPasswordForm) {
    setIsSubmitting(true);
    setError(null);
    try {
      await changePassword(password, currentPassword);
    } catch (caught) {
      setError(caught);
      setIsSubmitting(false);
    }
  }

  async function handleSignOut() {
    try {
      await signOut();
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <AuthCard title={t.newPassword.title}>
      <Typography.Paragraph type="secondary">{t.newPassword.intro}</Typography.Paragraph>
      {error !== null && (
        <Alert
          type="error"
          showIcon
          title={describeError(error, t, lang)}
          data-testid="newpw-error"
          style={{ marginBottom: 16 }}
        />
      )}
      <Form<NewPasswordForm>
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => void handleFinish(values)}
      >
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" hidden readOnly autoComplete="username" value={user.username} />
        {/* After a reload the one-time password typed at sign-in is gone, so ask for it again. */}
        {!hasOneTimePassword && (
          <Form.Item
            name="currentPassword"
            label={t.newPassword.currentPassword}
            rules={[{ required: true, message: t.newPassword.currentPasswordRequired }]}
          >
            <Input.Password data-testid="newpw-current" autoComplete="current-password" />
          </Form.Item>
        )}
        <Form.Item
          name="password"
          label={t.newPassword.password}
          extra={lengthRule}
          rules={[
            { required: true, message: t.newPassword.passwordRequired },
            { min: minPasswordLength, message: t.newPassword.tooShort },
          ]}
        >
          <Input.Password data-testid="newpw-password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t.newPassword.confirm}
          dependencies={['password']}
          rules={[
            { required: true, message: t.newPassword.confirmRequired },
            ({ getFieldValue }) => ({
              validator: (_rule, value) =>
                !value || getFieldValue('password') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error(t.newPassword.mismatch)),
            }),
          ]}
        >
          <Input.Password data-testid="newpw-confirm" autoComplete="new-password" />
        </Form.Item>
        <Button
          data-testid="newpw-submit"
          type="primary"
          htmlType="submit"
          block
          loading={isSubmitting}
        >
          {t.newPassword.submit}
        </Button>
        <Button type="link" block onClick={() => void handleSignOut()} style={{ marginTop: 8 }}>
          {t.newPassword.signOut}
        </Button>
      </Form>
    </AuthCard>
  );
}
