import { useI18n } from '../../i18n/i18n.tsx';
import { CorridorMap } from './CorridorMap.tsx';

export default function MapPage() {
  const { t } = useI18n();
  return (
    <section>
      <h1>{t('map.title')}</h1>
      <CorridorMap />
    </section>
  );
}
