/**
 * `@atai-upload/progress-panel`: React components that render the state of the
 * `@atai-upload/engine` uploads. They are stateless: pass the engine's snapshot and actions
 * (or anything of the same shape). Import the styles once:
 *
 * ```ts
 * import '@atai-upload/progress-panel/styles.css';
 * ```
 */

export type { ButtonProps, ButtonVariant } from './Button.js';
export { Button } from './Button.js';
export type { DropZoneProps } from './DropZone.js';
export { DropZone } from './DropZone.js';
export type { ErrorNoticeProps } from './ErrorNotice.js';
export { ErrorNotice } from './ErrorNotice.js';
export { ERROR_TITLES } from './error-titles.js';
export type { ByteFormatOptions, ByteStandard } from './format.js';
export {
  EMPTY,
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatSpeed,
} from './format.js';
export { LiveStatus, statusAnnouncement } from './LiveStatus.js';
export type { PanelActionsProps } from './PanelActions.js';
export { PanelActions } from './PanelActions.js';
export type { PanelHint, PanelHintsProps } from './PanelHints.js';
export { PanelHints, panelHints } from './PanelHints.js';
export type { PartMapProps } from './PartMap.js';
export { PartMap } from './PartMap.js';
export type { ProgressBarProps } from './ProgressBar.js';
export { ProgressBar } from './ProgressBar.js';
export type { PanelFigures } from './panel-figures.js';
export { panelFigures, uploadName } from './panel-figures.js';
export type { PartCounts, PartMapLayout } from './part-map-model.js';
export {
  cellStates,
  countPartStates,
  layoutPartMap,
  PART_STATE_LABELS,
  partMapSummary,
  partsDone,
} from './part-map-model.js';
export type { RecoveryPickerProps } from './RecoveryPicker.js';
export { RecoveryPicker } from './RecoveryPicker.js';
export type { ResultSummaryProps } from './ResultSummary.js';
export { ResultSummary } from './ResultSummary.js';
export type { StatusBadgeProps } from './StatusBadge.js';
export { StatusBadge } from './StatusBadge.js';
export type { StatusMeta, StatusTone } from './status.js';
export { STATUS_META, STATUS_SUMMARY_ORDER, statusLabel } from './status.js';
export type { BaseProps, Theme } from './theme.js';
export type { UploadListItem, UploadListProps, UploadTotals } from './UploadList.js';
export { UploadList, uploadTotals } from './UploadList.js';
export type { UploadPanelProps } from './UploadPanel.js';
export { UploadPanel } from './UploadPanel.js';
