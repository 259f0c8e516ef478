// Drag and drop on the pipeline board (views/board/index.ejs). A card dropped on another column presses
// that card's own "Move to" button (the same POST, with the lead's version, so a stale move
// answers 409 as without JavaScript); dropped on Lost it opens the page that asks the lost reason.
// The buttons stay: they are the keyboard's way, and the way without this file. No animation is added,
// so prefers-reduced-motion has nothing to calm; the stylesheet's only transition respects it.
(() => {
  var board = document.querySelector('[data-board]');
  if (!board) return;
  var dragged = null;

  function moveOf(card, stage) {
    return card.querySelector('[data-move="' + stage + '"]');
  }

  function targets() {
    return document.querySelectorAll('.board-column[data-stage], .board-closed-total[data-stage]');
  }

  function clearMarks() {
    document.querySelectorAll('.board-drop-target').forEach((el) => {
      el.classList.remove('board-drop-target');
    });
  }

  document.querySelectorAll('.board-card').forEach((card) => {
    // Only cards the user may move (their "Move to" forms are on the page) can be dragged.
    if (!card.querySelector('[data-move]')) return;
    card.setAttribute('draggable', 'true');
    card.addEventListener('dragstart', (e) => {
      dragged = card;
      card.classList.add('board-dragging');
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', card.getAttribute('data-lead-id') || '');
    });
    card.addEventListener('dragend', () => {
      card.classList.remove('board-dragging');
      dragged = null;
      clearMarks();
    });
  });
  board.setAttribute('data-board-enhanced', '');

  targets().forEach((zone) => {
    var stage = zone.getAttribute('data-stage');
    zone.addEventListener('dragover', (e) => {
      if (!dragged || !moveOf(dragged, stage)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      zone.classList.add('board-drop-target');
    });
    zone.addEventListener('dragleave', (e) => {
      if (!zone.contains(e.relatedTarget)) zone.classList.remove('board-drop-target');
    });
    zone.addEventListener('drop', (e) => {
      if (!dragged) return;
      var move = moveOf(dragged, stage);
      clearMarks();
      if (!move) return;
      e.preventDefault();
      if (move.tagName === 'A') window.location.assign(move.href);
      // A stage's button: clicking it submits the card's form with that stage, as a press would.
      else move.click();
    });
  });
})();
