import type { TextBox } from '@memelab/core';
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import { moveBox, resizeBox } from '../boxes/box-geometry.ts';

const STEP = 0.01;
const BIG_STEP = 0.05;

const ARROWS: Readonly<Record<string, readonly [number, number]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

interface BoxOverlayProps {
  readonly boxes: readonly TextBox[];
  readonly onChange: (index: number, box: TextBox) => void;
  /** The picture the boxes sit on; the overlay takes its size. */
  readonly children: ComponentChildren;
  /** Tells this picture's boxes apart from another's on the same page. */
  readonly testIdPrefix?: string;
}

interface Drag {
  readonly index: number;
  readonly mode: 'move' | 'resize';
  readonly startX: number;
  readonly startY: number;
  readonly start: TextBox;
  readonly width: number;
  readonly height: number;
}

const percent = (fraction: number): string => `${String(fraction * 100)}%`;

/**
 * Text boxes drawn as outlines over the picture, positioned in fractions so they follow it
 * as it scales. Pointer events cover mouse, pen and touch alike.
 */
export const BoxOverlay = ({ boxes, onChange, children, testIdPrefix = '' }: BoxOverlayProps) => {
  const stageRef = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | undefined>(undefined);

  const begin = (event: PointerEvent, index: number, mode: Drag['mode']) => {
    const stage = stageRef.current;
    const start = boxes[index];
    if (stage === null || start === undefined || event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    const rect = stage.getBoundingClientRect();
    drag.current = {
      index,
      mode,
      startX: event.clientX,
      startY: event.clientY,
      start,
      width: rect.width,
      height: rect.height,
    };
    const target = event.currentTarget;
    if (target instanceof HTMLElement) {
      target.setPointerCapture(event.pointerId);
      target.closest<HTMLElement>('.box')?.focus();
    }
  };

  const follow = (event: PointerEvent) => {
    const current = drag.current;
    if (current === undefined) return;
    const dx = (event.clientX - current.startX) / current.width;
    const dy = (event.clientY - current.startY) / current.height;
    onChange(
      current.index,
      current.mode === 'move' ? moveBox(current.start, dx, dy) : resizeBox(current.start, dx, dy),
    );
  };

  const end = () => {
    drag.current = undefined;
  };

  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const arrow = ARROWS[event.key];
    const box = boxes[index];
    if (arrow === undefined || box === undefined) return;
    event.preventDefault();
    const step = event.shiftKey ? BIG_STEP : STEP;
    const [dx, dy] = [arrow[0] * step, arrow[1] * step];
    onChange(index, event.altKey ? resizeBox(box, dx, dy) : moveBox(box, dx, dy));
  };

  return (
    <div class="stage" ref={stageRef}>
      {children}
      <div class="stage__boxes">
        {boxes.map((box, index) => (
          <button
            type="button"
            key={index}
            class="box"
            aria-roledescription="movable text box"
            aria-label={`Text box ${String(index + 1)}. Arrow keys move it, Shift for bigger steps, Alt with arrows resizes it.`}
            data-testid={`${testIdPrefix}text-box-${String(index)}`}
            style={{
              left: percent(box.x),
              top: percent(box.y),
              width: percent(box.width),
              height: percent(box.height),
              transform: box.rotation === 0 ? undefined : `rotate(${String(box.rotation)}deg)`,
            }}
            onPointerDown={(event) => begin(event, index, 'move')}
            onPointerMove={follow}
            onPointerUp={end}
            onPointerCancel={end}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            <span class="box__number" aria-hidden="true">
              {index + 1}
            </span>
            <span
              class="box__handle"
              aria-hidden="true"
              data-testid={`${testIdPrefix}text-box-handle-${String(index)}`}
              onPointerDown={(event) => begin(event, index, 'resize')}
              onPointerMove={follow}
              onPointerUp={end}
              onPointerCancel={end}
            />
          </button>
        ))}
      </div>
    </div>
  );
};
