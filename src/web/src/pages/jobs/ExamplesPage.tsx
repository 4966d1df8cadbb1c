import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Space } from 'antd';
import { ExampleGallery } from '../../components/ExampleGallery.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

/** The gallery of worked examples: choosing one opens a new job's editor filled with it. */
export default function ExamplesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <PageHeader title={t('examples.title')} intro={t('examples.intro')} />
      <ExampleGallery onChoose={(e) => void navigate(`/jobs/new?example=${encodeURIComponent(e.name)}`)} />
    </Space>
  );
}
