import { Card, Descriptions, Empty } from 'antd';
import { useSignedInUser } from '../auth';
import { useI18n } from '../i18n';
import { roleName } from '../layout/role-name';

export function DashboardPage() {
  const user = useSignedInUser();
  const { t } = useI18n();
  return (
    <div data-testid="dashboard">
      <Card title={t.dashboard.title}>
        <Descriptions
          column={1}
          items={[
            { key: 'role', label: t.dashboard.role, children: roleName(user.role, t) },
            {
              key: 'merchant',
              label: t.dashboard.merchant,
              children: user.merchantId ?? t.dashboard.noMerchant,
            },
          ]}
        />
        <Empty description={t.dashboard.empty} />
      </Card>
    </div>
  );
}
