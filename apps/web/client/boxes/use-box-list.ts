import type { TextBox } from '@memelab/core';
import { useCallback, useState } from 'preact/hooks';
import { MAX_BOXES, newBox } from './box-geometry.ts';

export interface BoxList {
  readonly boxes: readonly TextBox[];
  readonly captions: readonly string[];
  readonly canAdd: boolean;
  readonly canRemove: boolean;
  readonly setBox: (index: number, box: TextBox) => void;
  readonly setCaption: (index: number, caption: string) => void;
  readonly add: () => void;
  readonly remove: (index: number) => void;
}

interface Entries {
  readonly boxes: readonly TextBox[];
  readonly captions: readonly string[];
}

/** Boxes and their captions, kept in step: each caption belongs to the box at its index. */
export const useBoxList = (initialBoxes: readonly TextBox[], initialCaptions: readonly string[]): BoxList => {
  const [entries, setEntries] = useState<Entries>(() => ({
    boxes: initialBoxes,
    captions: initialBoxes.map((_, index) => initialCaptions[index] ?? ''),
  }));

  const setBox = useCallback(
    (index: number, box: TextBox) =>
      setEntries((current) => ({ ...current, boxes: current.boxes.map((known, at) => (at === index ? box : known)) })),
    [],
  );
  const setCaption = useCallback(
    (index: number, caption: string) =>
      setEntries((current) => ({
        ...current,
        captions: current.captions.map((known, at) => (at === index ? caption : known)),
      })),
    [],
  );
  const add = useCallback(
    () =>
      setEntries((current) =>
        current.boxes.length >= MAX_BOXES
          ? current
          : { boxes: [...current.boxes, newBox(current.boxes)], captions: [...current.captions, ''] },
      ),
    [],
  );
  const remove = useCallback(
    (index: number) =>
      setEntries((current) =>
        current.boxes.length <= 1
          ? current
          : {
              boxes: current.boxes.filter((_, at) => at !== index),
              captions: current.captions.filter((_, at) => at !== index),
            },
      ),
    [],
  );

  return {
    boxes: entries.boxes,
    captions: entries.captions,
    canAdd: entries.boxes.length < MAX_BOXES,
    canRemove: entries.boxes.length > 1,
    setBox,
    setCaption,
    add,
    remove,
  };
};
