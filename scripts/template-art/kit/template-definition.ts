/** What one template module defines: its metadata, text boxes and drawing. */
import type { TextBoxInput } from '../../../packages/core/src/index.ts';
import type { Scene } from './canvas.ts';

export type Layout = 'classic' | 'two-panel' | 'four-panel' | 'labels' | 'caption-bar';

export interface TemplateDefinition {
  readonly id: string;
  readonly name: string;
  readonly layout: Layout;
  readonly keywords: readonly string[];
  readonly width: number;
  readonly height: number;
  readonly textBoxes: readonly TextBoxInput[];
  readonly example: readonly string[];
  readonly draw: (scene: Scene) => void;
}
