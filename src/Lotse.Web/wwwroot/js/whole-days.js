// "Ganze Tage" / "Ganzer Tag" need no times: a checkbox with data-hides="<selector>" hides those fields
// while it is ticked (they stay in the form, so nothing typed is lost).
(() => {
    "use strict";
    for (const box of document.querySelectorAll("input[type=checkbox][data-hides]")) {
        const show = () => {
            for (const field of document.querySelectorAll(box.dataset.hides)) {
                field.hidden = box.checked;
            }
        };
        box.addEventListener("change", show);
        show();
    }
})();
