import { lazy, Suspense, type ReactElement } from 'react';
import { Loading } from '../../components/Problem.tsx';
import { ArtifactsPage } from './ArtifactsPage.tsx';
import { CatalogsPage } from './CatalogsPage.tsx';
import { EnginesPage } from './EnginesPage.tsx';
import { TargetsPage } from './TargetsPage.tsx';
import { VariablesPage } from './VariablesPage.tsx';
import { ChannelsPage } from './ChannelsPage.tsx';
import { AlertRulesPage } from './AlertRulesPage.tsx';
import { KafkaPage } from './KafkaPage.tsx';
import { PlatformPage } from './PlatformPage.tsx';

// The graph library loads only when the lineage page is opened.
const LineagePage = lazy(() => import('./LineagePage.tsx'));

/** Pages of what jobs share: engines, deployment targets, catalogs, variables, alert channels, Kafka, the platform's charts, lineage. */
export const WORKSPACE_ROUTES: { path: string; label: string; element: ReactElement }[] = [
  { path: '/engines', label: 'nav.engines', element: <EnginesPage /> },
  { path: '/targets', label: 'nav.targets', element: <TargetsPage /> },
  { path: '/catalogs', label: 'nav.catalogs', element: <CatalogsPage /> },
  { path: '/variables', label: 'nav.variables', element: <VariablesPage /> },
  { path: '/artifacts', label: 'nav.artifacts', element: <ArtifactsPage /> },
  { path: '/channels', label: 'nav.channels', element: <ChannelsPage /> },
  { path: '/alert-rules', label: 'nav.alertRules', element: <AlertRulesPage /> },
  { path: '/kafka', label: 'nav.kafka', element: <KafkaPage /> },
  { path: '/platform', label: 'nav.platform', element: <PlatformPage /> },
  {
    path: '/lineage',
    label: 'nav.lineage',
    element: (
      <Suspense fallback={<Loading />}>
        <LineagePage />
      </Suspense>
    ),
  },
];
