import { defineMessages } from '../../core/i18n';

export const reconciliationMessages = defineMessages({
  en: {
    title: 'Reconciliation runs',
    intro:
      'Every night the statistics are recomputed from the registrations and any difference is repaired. Newest first.',
    table: 'Reconciliation runs',
    none: 'No runs yet. The first runs tonight (or run `npm run job -- reconcile-counters` locally).',
    started: 'Started',
    finished: 'Finished',
    running: 'Running',
    recordsRead: 'Records read',
    countersChecked: 'Counters checked',
    gridsChecked: 'Grids checked',
    gridsSkipped: 'Grids left for next run',
    driftFound: 'Drift found',
    driftRepaired: 'Drift repaired',
    malformed: 'Unreadable records',
  },
  'zh-CN': {
    title: '核对记录',
    intro: '每晚根据登记重新计算统计数据，并修复发现的差异。最新的在前。',
    table: '核对记录',
    none: '还没有核对记录。第一次将于今晚运行（本地可运行 `npm run job -- reconcile-counters`）。',
    started: '开始',
    finished: '结束',
    running: '运行中',
    recordsRead: '读取记录数',
    countersChecked: '核对计数项',
    gridsChecked: '核对网格数',
    gridsSkipped: '留待下次的网格',
    driftFound: '发现差异',
    driftRepaired: '已修复差异',
    malformed: '无法读取的记录',
  },
});
