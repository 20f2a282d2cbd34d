// Whole days need no times: hide the time fields while "Ganze Tage" is ticked (they stay in the form).
(() => {
    "use strict";
    const wholeDays = document.getElementById("whole-days");
    if (!wholeDays) {
        return;
    }
    const show = () => {
        for (const field of document.querySelectorAll(".time-field")) {
            field.hidden = wholeDays.checked;
        }
    };
    wholeDays.addEventListener("change", show);
    show();
})();
