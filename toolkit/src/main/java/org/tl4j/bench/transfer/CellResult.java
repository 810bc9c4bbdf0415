package org.tl4j.bench.transfer;

/**
 * One finished cell of the grid, as results.json lists it.
 *
 * @param source       the source adapter id (for scratch: the id whose architecture was trained from fresh weights;
 *                     the cell counts for every source of that architecture)
 * @param architecture the architecture key (scratch cells are matched to sources by it)
 * @param target       the target id ({@link TransferTarget})
 * @param size         the size label: images per class, or {@code all}
 * @param trainPerClass training images per class in the prepared folder (before fit carves validation from it)
 * @param seed         the grid seed (data preparation, splits, initialisation, shuffles)
 * @param strategy     the benchmark strategy's name ({@link BenchStrategy#cliName()})
 * @param accuracy     test accuracy
 * @param testImages   test images
 * @param wallSeconds  wall time of the cell (selector included for auto), in seconds
 * @param stopReason   how training stopped ({@code early-stopping}, {@code max-epochs}) or {@code svm} for an SVM
 * @param epochs       epochs completed, null for an SVM
 * @param updates      updates done, null for an SVM
 * @param bestUpdate   the update whose weights were kept, null for an SVM
 * @param tap          the tap the head or SVM read
 * @param autoChoice   for auto: the benchmark strategy the selector chose ({@link BenchStrategy#ofAdvice}); else null
 * @param runFolder    the cell's run folder (for an auto cell that reused a fixed cell's run: that cell's folder)
 * @param sameRunAs    for auto: the fixed strategy whose finished cell ran exactly what the selector chose (same fit
 *                     options or SVM tap, same data and seed), so its run was reused instead of repeated; else null
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record CellResult(String source, String architecture, String target, String size, int trainPerClass,
                         long seed, String strategy, double accuracy, int testImages, double wallSeconds,
                         String stopReason, Integer epochs, Long updates, Long bestUpdate, String tap,
                         String autoChoice, String runFolder, String sameRunAs) {

    /** Whether this cell is a from-scratch run (shared by every source of its architecture). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isScratch() {
        return BenchStrategy.SCRATCH.cliName().equals(strategy);
    }
}
